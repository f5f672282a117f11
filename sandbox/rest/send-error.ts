import type { Response } from 'express';

/** Bitbucket's error body: {"type":"error","error":{"message", "detail"?}}. */
export function sendError(res: Response, status: number, message: string, detail?: unknown): void {
  res.status(status).json({ type: 'error', error: { message, ...(detail !== undefined ? { detail } : {}) } });
}
