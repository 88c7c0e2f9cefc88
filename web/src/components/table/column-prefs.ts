import { useCallback, useState } from 'react';

/**
 * Which columns a user chose to see in one table, kept in this browser (localStorage) per table.
 * Only the columns the user toggled are stored, so a column added later follows its default.
 */
type Stored = Record<string, boolean>;

const storageKey = (tableId: string): string => `portcluster.table.${tableId}.columns`;

const read = (tableId: string): Stored => {
  try {
    const raw = window.localStorage.getItem(storageKey(tableId));
    const parsed: unknown = raw === null ? null : JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return {};
    }
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'));
  } catch {
    return {};
  }
};

const write = (tableId: string, value: Stored): void => {
  try {
    if (Object.keys(value).length === 0) {
      window.localStorage.removeItem(storageKey(tableId));
    } else {
      window.localStorage.setItem(storageKey(tableId), JSON.stringify(value));
    }
  } catch {
    // Storage full or disabled: the choice lasts for this page only.
  }
};

export type ColumnPrefs = {
  isVisible: (key: string, defaultHidden?: boolean) => boolean;
  setVisible: (key: string, visible: boolean, defaultHidden?: boolean) => void;
  reset: () => void;
};

export const useColumnPrefs = (tableId: string): ColumnPrefs => {
  const [state, setState] = useState<{ id: string; prefs: Stored }>(() => ({ id: tableId, prefs: read(tableId) }));
  // Another table in the same component slot: load its own choice.
  const current = state.id === tableId ? state.prefs : read(tableId);
  if (state.id !== tableId) {
    setState({ id: tableId, prefs: current });
  }

  const isVisible = useCallback((key: string, defaultHidden = false) => current[key] ?? !defaultHidden, [current]);

  const setVisible = useCallback(
    (key: string, visible: boolean, defaultHidden = false) => {
      const next = { ...current };
      if (visible === !defaultHidden) {
        delete next[key];
      } else {
        next[key] = visible;
      }
      write(tableId, next);
      setState({ id: tableId, prefs: next });
    },
    [current, tableId],
  );

  const reset = useCallback(() => {
    write(tableId, {});
    setState({ id: tableId, prefs: {} });
  }, [tableId]);

  return { isVisible, setVisible, reset };
};
