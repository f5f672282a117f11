import { z } from 'zod';

/** `{href}`; Bitbucket's own links were once malformed ("api.bitbucket.org2.0"), so no URL check. */
export const linkSchema = z.looseObject({ href: z.string() });

/**
 * A user or team as embedded in other objects. Bitbucket omits fields for deleted
 * ("Former user") and for old-format accounts, so everything is optional.
 */
export const accountSchema = z.looseObject({
  type: z.string().optional(),
  uuid: z.string().optional(),
  account_id: z.string().nullish(),
  display_name: z.string().optional(),
  nickname: z.string().nullish(),
  links: z.looseObject({ html: linkSchema.optional(), avatar: linkSchema.optional() }).optional(),
});
export type Account = z.infer<typeof accountSchema>;

/**
 * One page of a paginated list. Only `values` and `next` are guaranteed:
 * https://developer.atlassian.com/cloud/bitbucket/rest/intro/#pagination
 */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    values: z.array(item),
    next: z.string().optional(),
    pagelen: z.number().optional(),
    size: z.number().optional(),
    page: z.number().optional(),
  });
}

/**
 * A string Bitbucket documents a fixed set of values for but adds to over time: typed as the
 * known values (for autocompletion and narrowing) while any other string still parses.
 */
export function openEnum<const T extends readonly [string, ...string[]]>(_known: T) {
  return z.string().transform((value) => value as T[number] | (string & {}));
}
