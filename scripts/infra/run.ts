/** Short lines for a terminal or a CI log, recognisable among the test runner's output. */
export function say(line: string) {
  console.log(`infra: ${line}`);
}

/** A failure the user can act on: the command prints its message and exits 1, without a stack trace. */
export class InfraError extends Error {}

export type RunOptions = { cwd?: string; env?: Record<string, string>; timeoutMs?: number };

export async function run(cmd: string[], options: RunOptions = {}) {
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.timeoutMs,
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

/** Like `run`, but a non-zero exit becomes an InfraError carrying the end of the command's output. */
export async function mustRun(cmd: string[], options: RunOptions = {}) {
  const result = await run(cmd, options);
  if (result.code !== 0) {
    throw new InfraError(`${cmd.join(" ")} failed (exit ${result.code}):\n${lastLines(result.stdout + result.stderr)}`);
  }
  return result;
}

export function lastLines(text: string, count = 30): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

export async function tail(path: string, count = 30): Promise<string> {
  const file = Bun.file(path);
  return (await file.exists()) ? `--- last lines of ${path}\n${lastLines(await file.text(), count)}` : `(${path} is missing)`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export const isRoot = process.getuid?.() === 0;
