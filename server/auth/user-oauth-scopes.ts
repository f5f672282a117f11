/**
 * The scopes a workspace admin ticks on the OAuth consumer, so that Bosun can do as a person
 * everything a panel lets them do: read who they are, approve/merge/comment, report builds,
 * drive pipelines. Bitbucket fixes scopes on the consumer, not per request (REFERENCE.md §8).
 */
export const USER_OAUTH_SCOPES = ['account', 'email', 'pullrequest:write', 'repository:write', 'pipeline:write'] as const;
