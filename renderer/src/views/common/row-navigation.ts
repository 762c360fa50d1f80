// Keyboard moves for focusable table rows: arrows and Home/End move focus, Enter opens.

import type { KeyboardEvent } from 'react';

/** Put on a `<tbody>`'s rows (each with tabIndex 0): moves focus between siblings, Enter calls `open`. */
export function onRowKeyDown(event: KeyboardEvent<HTMLElement>, open: () => void): void {
  // Keys typed into a control inside the row (a checkbox, a button) are the control's own.
  if (event.target !== event.currentTarget) return;
  const row = event.currentTarget;
  const rows = Array.from(row.parentElement?.children ?? []).filter((el): el is HTMLElement => el instanceof HTMLElement && el.tabIndex >= 0);
  const index = rows.indexOf(row);
  let next: HTMLElement | undefined;
  if (event.key === 'ArrowDown') next = rows[index + 1];
  else if (event.key === 'ArrowUp') next = rows[index - 1];
  else if (event.key === 'Home') next = rows[0];
  else if (event.key === 'End') next = rows[rows.length - 1];
  else if (event.key === 'Enter') {
    event.preventDefault();
    open();
    return;
  } else return;
  event.preventDefault();
  next?.focus();
}
