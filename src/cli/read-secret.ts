import { createInterface } from "node:readline";

export type SecretReader = (prompt: string) => Promise<string>;

async function readAllLines(input: NodeJS.ReadableStream): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input, terminal: false })) lines.push(line);
  return lines;
}

function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const input = createInterface({ input: process.stdin, output: undefined, terminal: true });
  // Swallow the terminal echo: keystrokes are read but never written back.
  (input as unknown as { _writeToOutput: () => void })._writeToOutput = () => {};
  return new Promise<string>((resolve) =>
    input.question("", (answer) => {
      input.close();
      process.stderr.write("\n");
      resolve(answer);
    }),
  );
}

/**
 * Reads secrets one after another: successive lines of stdin when it is piped (so scripts can
 * pass a password, then a key), or prompts on the terminal that do not echo what is typed.
 */
export function createSecretReader(): SecretReader {
  if (process.stdin.isTTY) return promptHidden;
  let lines: Promise<string[]> | undefined;
  let next = 0;
  return async () => {
    lines ??= readAllLines(process.stdin);
    return (await lines)[next++] ?? "";
  };
}
