import { z } from 'zod';
import { linkSchema } from './common';

/** `GET /2.0/user`: the account behind the credentials (for Connect JWT, the app's bot user). */
export const currentUserSchema = z.looseObject({
  type: z.string(),
  uuid: z.string(),
  account_id: z.string().nullish(),
  display_name: z.string(),
  nickname: z.string().nullish(),
  account_status: z.string().nullish(),
  links: z.looseObject({ html: linkSchema.optional(), avatar: linkSchema.optional() }).optional(),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

/** One entry of `GET /2.0/user/emails` (the spec gives no schema; shape from Bitbucket's responses). */
export const userEmailSchema = z.looseObject({
  email: z.string(),
  is_primary: z.boolean(),
  is_confirmed: z.boolean(),
});
export type UserEmail = z.infer<typeof userEmailSchema>;
