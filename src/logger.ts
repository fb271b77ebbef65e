import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'vigie' },
    // Belt and braces: nothing that looks like a secret reaches the logs even if logged by mistake.
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'req.headers.cookie', 'headers.cookie'],
      censor: '[masqué]',
    },
  });
}
