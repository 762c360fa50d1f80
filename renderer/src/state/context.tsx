// Gives components the store and the log store, so tests can hand in their own.

import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { JobsimApi } from '../../../shared/api.js';
import type { LogStore } from '../log/log-store.js';
import type { ShellTerminalFactory } from '../log/shell-terminal.js';
import type { TerminalFactory } from '../log/terminal.js';
import type { AppState, AppStore } from './store.js';

export interface AppServices {
  /** For views that load their own data (caches, history, shells); run state goes through the store. */
  api: JobsimApi;
  store: AppStore;
  logs: LogStore;
  createTerminal: TerminalFactory;
  /** The interactive terminal of the Debug panel's shells; without it no shell can be opened. */
  createShellTerminal?: ShellTerminalFactory;
}

const ServicesContext = createContext<AppServices | undefined>(undefined);

export function AppServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('AppServicesProvider is missing');
  return services;
}

/** Selects the smallest piece of state a component needs; wrap object/array selectors in useShallow. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useServices().store, selector);
}
