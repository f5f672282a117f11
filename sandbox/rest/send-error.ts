import type { Response } from 'express';

/** Bitbucket's error body: {"type":"error","error":{"message", "detail"?, "data"?}}. */
export function sendError(res: Response, status: number, message: string, detail?: unknown, data?: Record<string, unknown>): void {
  res.status(status).json({ type: 'error', error: { message, ...(detail !== undefined ? { detail } : {}), ...(data !== undefined ? { data } : {}) } });
}
