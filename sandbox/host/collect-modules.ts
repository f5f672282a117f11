import type { ConnectModule, Installation } from '../state/types';

export type ModuleType = 'webPanels' | 'repoPages' | 'adminPages' | 'configurePage' | 'profileTabs';

export interface InstalledModule {
  installation: Installation;
  module: ConnectModule;
  type: ModuleType;
}

export function getModules(inst: Installation, type: ModuleType): ConnectModule[] {
  const raw = inst.descriptor.modules?.[type];
  if (!raw) return [];
  return (Array.isArray(raw) ? raw : [raw]) as ConnectModule[];
}

export function collectModules(installations: Installation[], type: ModuleType, location?: string): InstalledModule[] {
  return installations.flatMap((installation) =>
    getModules(installation, type)
      .filter((m) => !location || m.location === location)
      .map((module) => ({ installation, module, type })),
  );
}

export function findModule(inst: Installation, moduleKey: string, types: ModuleType[]): ConnectModule | undefined {
  for (const t of types) {
    const m = getModules(inst, t).find((x) => x.key === moduleKey);
    if (m) return m;
  }
  return undefined;
}

export function toModuleName(m: ConnectModule): string {
  return m.name?.value ?? m.key;
}
