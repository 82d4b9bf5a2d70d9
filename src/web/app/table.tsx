import type { ComponentChildren } from "preact";

/** A table with a header row of column names; the rows are its children. */
export function DataTable(props: {
  columns: string[];
  children: ComponentChildren;
  compact?: boolean;
  describedBy?: string | undefined;
}) {
  return (
    <table class={props.compact ? "table compact" : "table"} aria-describedby={props.describedBy}>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A list that may still be loading: a note while it loads or when it is empty, else its table. */
export function ListTable<T>(props: {
  rows: T[] | null | undefined;
  loading: string;
  empty: string;
  columns: string[];
  describedBy?: string;
  children(row: T): ComponentChildren;
}) {
  const { rows } = props;
  if (!rows) return <p class="muted">{props.loading}</p>;
  if (rows.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <DataTable columns={props.columns} describedBy={props.describedBy}>
        {rows.map(props.children)}
      </DataTable>
    </div>
  );
}
