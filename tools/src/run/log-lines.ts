const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const COLOURS = ['\u001b[36m', '\u001b[35m', '\u001b[33m', '\u001b[32m', '\u001b[34m', '\u001b[31m'];
const RESET = '\u001b[0m';

/** One readable line from a service's JSON log line (other lines pass through unchanged). */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      msg,
      time: _time,
      pid: _pid,
      hostname: _hostname,
      name: _name,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    return `${LEVELS[Number(level)] ?? String(level)} ${String(msg ?? '')}${fields}`;
  } catch {
    return line;
  }
}

/** `[name] ` in a colour of its own on a terminal. */
export function prefixer(name: string, index: number, colour: boolean): (line: string) => string {
  const label = colour ? `${COLOURS[index % COLOURS.length]}[${name}]${RESET}` : `[${name}]`;
  return (line) => `${label} ${formatLogLine(line)}`;
}
