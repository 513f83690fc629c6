import { z } from 'zod';

export const roles = ['ADMIN', 'MANAGER', 'AGENT'] as const;
export type Role = (typeof roles)[number];

/** The claims every API token must carry. */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  companyId: z.string().min(1).max(200),
  role: z.enum(roles),
  /**
   * Expiry (Unix seconds): a WebSocket is closed when its token expires. Required, and bounded by JWT_MAX_TTL
   * (see token-lifetime.ts, which refuses a token without it).
   */
  exp: z.number().optional(),
  /** Issued at (Unix seconds). */
  iat: z.number().optional(),
});

export type Claims = z.infer<typeof claimsSchema>;

/**
 * What each kind of route allows. Declared on every route (`config.access`) and checked in one hook:
 * - `public`: no token (health, docs);
 * - `read`: any role (status, chats, messages, stats, the registry's reads);
 * - `send`: any role (sending messages);
 * - `manage`: ADMIN and MANAGER (create, update, delete, start, stop, QR, simulator);
 * - `audit`: ADMIN only.
 */
export type Access = 'public' | 'read' | 'send' | 'manage' | 'audit';

export const allowedRoles: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  read: roles,
  send: roles,
  manage: ['ADMIN', 'MANAGER'],
  audit: ['ADMIN'],
};
