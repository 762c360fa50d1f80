// Gives components the store and the log store, so tests can hand in their own.

import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { LogStore } from '../log/log-store.js';
import type { TerminalFactory } from '../log/terminal.js';
import type { AppState, AppStore } from './store.js';

export interface AppServices {
  store: AppStore;
  logs: LogStore;
  createTerminal: TerminalFactory;
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
