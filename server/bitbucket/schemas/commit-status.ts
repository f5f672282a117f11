import { z } from 'zod';

export const commitStatusStateSchema = z.enum(['INPROGRESS', 'SUCCESSFUL', 'FAILED', 'STOPPED']);
export type CommitStatusState = z.infer<typeof commitStatusStateSchema>;

/** A build status on a commit (`type` is "build", the only kind Bitbucket has). */
export const commitStatusSchema = z.looseObject({
  key: z.string(),
  state: commitStatusStateSchema,
  name: z.string().nullish(),
  url: z.string().nullish(),
  description: z.string().nullish(),
  refname: z.string().nullish(),
  created_on: z.string().nullish(),
  updated_on: z.string().nullish(),
});
export type CommitStatus = z.infer<typeof commitStatusSchema>;
