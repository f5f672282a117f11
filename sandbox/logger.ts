export interface SandboxLogger {
  info(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
  error(msg: string, meta?: object): void;
}

export function createConsoleLogger(): SandboxLogger {
  const line = (level: string, msg: string, meta?: object) => `[sandbox] ${level} ${msg}${meta ? ` ${JSON.stringify(meta)}` : ''}`;
  return {
    info: (msg, meta) => console.log(line('info', msg, meta)),
    warn: (msg, meta) => console.warn(line('warn', msg, meta)),
    error: (msg, meta) => console.error(line('error', msg, meta)),
  };
}
