import pino from 'pino'

// Structured JSON logs. Request ids are attached by server.ts (child loggers per request).
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: process.env.LIAISON_PROCESS ?? 'web' },
  redact: { paths: ['password', '*.password', 'req.headers.cookie', 'headers.cookie'], remove: true },
})
