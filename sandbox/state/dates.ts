/** Bitbucket's timestamp format: `2025-08-12T15:46:15.353760+00:00`. */
export function toBitbucketDate(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

export function addHours(iso: string, hours: number): string {
  return toBitbucketDate(new Date(new Date(iso).getTime() + hours * 3600_000));
}
