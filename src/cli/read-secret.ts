import { createInterface } from "node:readline";

/**
 * Reads a secret: the first line of stdin when it is piped (`--password-stdin` style), or a
 * prompt on the terminal that does not echo what is typed.
 */
export async function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin, terminal: false });
    for await (const line of lines) {
      lines.close();
      return line;
    }
    return "";
  }
  process.stderr.write(prompt);
  const input = createInterface({ input: process.stdin, output: undefined, terminal: true });
  // Swallow the terminal echo: keystrokes are read but never written back.
  (input as unknown as { _writeToOutput: () => void })._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => input.question("", resolve));
  input.close();
  process.stderr.write("\n");
  return answer;
}
