import { z } from 'zod';

const sessionName = z.string().trim().min(1).max(100);
const phoneNumber = z
  .string()
  .regex(/^\+?[1-9]\d{6,14}$/, 'must be an international number, digits only (e.g. 5511999999999)')
  .transform((value) => value.replace(/^\+/, ''));
const sessionToken = z.string().min(8).max(200);

export const createSessionBody = z
  .object({
    Company_Id: z.string().min(1).optional(),
    Session_Name: sessionName,
    Phone_Number: phoneNumber.nullable().optional(),
    /** Set by the gateway; accepted (and ignored) because existing clients send it. */
    Status: z.number().int().min(0).max(3).optional(),
    Session_Token: sessionToken.optional(),
  })
  .strict();

export const updateSessionBody = z
  .object({
    Session_Name: sessionName.optional(),
    Phone_Number: phoneNumber.nullable().optional(),
    Session_Token: sessionToken.optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'nothing to update: give Session_Name, Phone_Number or Session_Token',
  });

export const sessionReply = z.object({
  Id: z.string(),
  Company_Id: z.string(),
  Session_Name: z.string(),
  Phone_Number: z.string().nullable(),
  Status: z.number().int(),
  Last_Heartbeat: z.string().nullable(),
  Created_At: z.string(),
  Updated_At: z.string(),
});

export type SessionReply = z.infer<typeof sessionReply>;
