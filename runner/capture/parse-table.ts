// Reads the column-aligned tables that `kubectl get`, `helm list`, `crictl ps` and `etcdctl -w table`
// print: columns start where the header's words start.
export interface Table {
  headers: string[];
  rows: Record<string, string>[];
}

export function parseTable(output: string): Table {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '' && !/^[+|-]+$/.test(line.trim()));
  if (lines.length === 0) return { headers: [], rows: [] };
  if (lines[0]?.trim().startsWith('|')) return parseBoxTable(lines);
  if (lines[0]?.includes('\t')) return parseTabTable(lines);
  const header = lines[0] as string;
  const starts: number[] = [];
  const headers: string[] = [];
  for (const match of header.matchAll(/\S+(?: \S+)*/g)) {
    // Two or more spaces separate columns; a single space may sit inside a header ("LAST SEEN").
    starts.push(match.index);
    headers.push(match[0]);
  }
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    headers.forEach((name, index) => {
      const start = starts[index] as number;
      const end = index + 1 < starts.length ? (starts[index + 1] as number) : line.length;
      row[name] = line.slice(start, end).trim();
    });
    return row;
  });
  return { headers, rows };
}

// `helm list` separates columns with tabs (and pads them with spaces).
function parseTabTable(lines: string[]): Table {
  const cells = (line: string) => line.split('\t').map((cell) => cell.trim());
  const headers = cells(lines[0] as string);
  const rows = lines
    .slice(1)
    .map((line) => Object.fromEntries(cells(line).map((cell, index) => [headers[index] ?? `${index}`, cell])));
  return { headers, rows };
}

function parseBoxTable(lines: string[]): Table {
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const headers = cells(lines[0] as string);
  const rows = lines
    .slice(1)
    .map((line) => Object.fromEntries(cells(line).map((cell, index) => [headers[index] ?? `${index}`, cell])));
  return { headers, rows };
}
