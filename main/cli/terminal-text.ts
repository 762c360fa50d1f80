// Log text as a terminal should show it: GitLab's collapsible-section markers removed (their header text
// stays), and ANSI escapes removed when colour is off (pipes, NO_COLOR).

const SECTION_MARKER = /\u001b\[0Ksection_(?:start|end):\d+:[^\r\u001b]*\r?\u001b\[0K/g;
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** undefined when nothing is left to show (a bare section_end marker). */
export function terminalText(text: string, colour: boolean): string | undefined {
  const hadMarker = text.includes('section_');
  let out = text.replace(SECTION_MARKER, '');
  if (!colour) out = out.replace(ANSI, '');
  if (hadMarker && out.replace(ANSI, '').trim() === '') return undefined;
  return out;
}
