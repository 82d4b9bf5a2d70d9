import type { Compilable, CompiledQuery } from "kysely";

const SLOT = Symbol("query-template-slot");

interface Slot {
  readonly [SLOT]: number;
}

function isSlot(value: unknown): value is Slot {
  return typeof value === "object" && value !== null && SLOT in value;
}

/** Stands for the `index`th argument while a template is compiled. */
export type SlotOf = (index: number) => never;

export interface QueryTemplates {
  /**
   * The query of this `shape`, built and compiled once with `slot(i)` in place of each value,
   * with `args` bound. A shape must name everything that changes the SQL (which columns, how
   * many values in a list); the values themselves go in `args`.
   */
  bind<R>(
    shape: string,
    build: (slot: SlotOf) => Compilable<R>,
    args: readonly unknown[],
  ): CompiledQuery<R>;
  size(): number;
}

/**
 * Kysely builds, transforms (CamelCasePlugin) and compiles a query on every call, about half the
 * CPU of a hot write on SQLite; the SQL of one shape never changes, so compile it once.
 */
export function createQueryTemplates(max = 64): QueryTemplates {
  const compiled = new Map<string, CompiledQuery>();
  const slot: SlotOf = (index) => ({ [SLOT]: index }) as never;
  return {
    bind<R>(shape: string, build: (slot: SlotOf) => Compilable<R>, args: readonly unknown[]) {
      let template = compiled.get(shape) as CompiledQuery<R> | undefined;
      if (template === undefined) {
        template = build(slot).compile();
        if (compiled.size >= max) compiled.clear();
        compiled.set(shape, template);
      }
      const parameters = template.parameters.map((value) =>
        isSlot(value) ? args[value[SLOT]] : value,
      );
      return { ...template, parameters };
    },
    size: () => compiled.size,
  };
}
