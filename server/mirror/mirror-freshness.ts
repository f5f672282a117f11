/** How fresh a view's data is: from the mirror (as of when it was last confirmed) or read live just now. */
export interface MirrorFreshness {
  source: 'mirror' | 'live';
  /** ISO: when Bitbucket last confirmed this data (a sync, a sweep, a webhook, or the live read). */
  asOf: string;
  /** False while some statuses are only what webhooks told (the backfill has not listed them yet). */
  complete: boolean;
}
