/** A code-owners rule: files matching any of `paths` are owned by `reviewers` (user `{uuid}`s or `group:<slug>`). */
export interface PathOwnerRule {
  paths: readonly string[];
  reviewers: readonly string[];
}

export interface ReviewerChoiceInput {
  /** Paths from the PR's diffstat (new and old paths both count, so a rename out of a folder still asks its owners). */
  changedPaths: readonly string[];
  owners: readonly PathOwnerRule[];
  groups: Readonly<Record<string, readonly string[]>>;
  authorUuid: string;
  /** Reviewers the PR has now. */
  existingReviewerUuids: readonly string[];
  defaultReviewerUuids: readonly string[];
  includeDefaultReviewers: boolean;
  /** Open PRs each person is reviewing now (absent: 0). */
  openReviews: Readonly<Record<string, number>>;
  maxOpenReviewsPerPerson: number;
  strategy: 'round-robin' | 'least-loaded';
  /** How many people to pick from each group a rule names. */
  perGroup: number;
  /** Round-robin position per group: the index in the group of the last person picked. */
  cursors: Readonly<Record<string, number>>;
  /** People Bitbucket refused as reviewers (a 400), never proposed again in this run. */
  refusedUuids?: readonly string[] | undefined;
}

export type SkipReason = 'author' | 'over-limit' | 'refused';

export interface ReviewerChoice {
  /** New reviewers to add, in the order chosen. */
  add: string[];
  /** Why each was chosen (the rule's paths or "default reviewer"). */
  because: Record<string, string>;
  skipped: { userUuid: string; reason: SkipReason }[];
  /** Groups that could not supply enough eligible people. */
  unfilled: { group: string; wanted: number; got: number }[];
  /** Cursors to store for the next run (round-robin). */
  cursors: Record<string, number>;
}

/**
 * Path glob in the manner of CODEOWNERS: `*` stays within one path segment, `**` crosses them, `?`
 * one character; a pattern without `/` matches that name at any depth; a trailing `/` means
 * everything under the folder; a leading `/` anchors at the root.
 */
export function toPathGlob(pattern: string): RegExp {
  let p = pattern.trim();
  if (p.endsWith('/')) p += '**';
  if (p.startsWith('/')) p = p.slice(1);
  else if (!p.includes('/')) p = `**/${p}`;
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*' && p[i + 1] === '*') {
      if (p[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i++;
      }
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The owner rules for a set of changed paths: per file the LAST matching rule owns it (as in
 * CODEOWNERS), and the PR needs every rule that owns at least one file.
 */
export function findOwningRules(changedPaths: readonly string[], owners: readonly PathOwnerRule[]): { rule: PathOwnerRule; files: string[] }[] {
  const globs = owners.map((o) => o.paths.map(toPathGlob));
  const files = new Map<number, string[]>();
  for (const path of new Set(changedPaths)) {
    for (let k = owners.length - 1; k >= 0; k--) {
      if (globs[k]!.some((g) => g.test(path))) {
        files.set(k, [...(files.get(k) ?? []), path]);
        break;
      }
    }
  }
  return [...files.entries()].sort(([a], [b]) => a - b).map(([k, f]) => ({ rule: owners[k]!, files: f }));
}

/**
 * Who to add as reviewers. Pure: load and cursors come in, the choice and new cursors go out.
 * Never the author; nobody at or over the open-review limit; nobody Bitbucket refused; a group is
 * satisfied by members already reviewing before anyone new is asked.
 */
export function chooseReviewers(input: ReviewerChoiceInput): ReviewerChoice {
  const refused = new Set(input.refusedUuids ?? []);
  const load = new Map(Object.entries(input.openReviews));
  const reviewing = new Set(input.existingReviewerUuids);
  const add: string[] = [];
  const because: Record<string, string> = {};
  const skipped = new Map<string, SkipReason>();
  const unfilled: ReviewerChoice['unfilled'] = [];
  const cursors: Record<string, number> = { ...input.cursors };

  const eligibility = (u: string): SkipReason | null => {
    if (u === input.authorUuid) return 'author';
    if (refused.has(u)) return 'refused';
    if ((load.get(u) ?? 0) >= input.maxOpenReviewsPerPerson) return 'over-limit';
    return null;
  };
  const take = (u: string, why: string) => {
    add.push(u);
    reviewing.add(u);
    because[u] = why;
    load.set(u, (load.get(u) ?? 0) + 1);
  };
  const person = (u: string, why: string) => {
    if (reviewing.has(u)) return;
    const no = eligibility(u);
    if (no) skipped.set(u, no);
    else take(u, why);
  };

  for (const { rule, files } of findOwningRules(input.changedPaths, input.owners)) {
    const why = `owns ${files.length === 1 ? files[0] : `${files.length} changed files`} (${rule.paths.join(', ')})`;
    for (const ref of rule.reviewers) {
      if (!ref.startsWith('group:')) {
        person(ref, why);
        continue;
      }
      const slug = ref.slice('group:'.length);
      const members = input.groups[slug] ?? [];
      let have = members.filter((m) => reviewing.has(m)).length;
      const candidates = members.filter((m) => !reviewing.has(m));
      for (const m of candidates) {
        const no = eligibility(m);
        if (no) skipped.set(m, no);
      }
      const eligible = candidates.filter((m) => eligibility(m) === null);
      const ordered =
        input.strategy === 'least-loaded'
          ? [...eligible].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || members.indexOf(a) - members.indexOf(b))
          : rotateAfter(eligible, members, cursors[slug] ?? -1);
      for (const m of ordered) {
        if (have >= input.perGroup) break;
        take(m, `${why}, group ${slug}`);
        if (input.strategy === 'round-robin') cursors[slug] = members.indexOf(m);
        have++;
      }
      if (have < input.perGroup) unfilled.push({ group: slug, wanted: input.perGroup, got: have });
    }
  }
  if (input.includeDefaultReviewers) for (const d of input.defaultReviewerUuids) person(d, 'default reviewer');

  for (const u of add) skipped.delete(u);
  for (const u of reviewing) if (!add.includes(u)) skipped.delete(u);
  return { add, because, skipped: [...skipped.entries()].map(([userUuid, reason]) => ({ userUuid, reason })), unfilled, cursors };
}

/** Members in group order starting after the one at `cursor`, wrapping round. */
function rotateAfter(eligible: readonly string[], members: readonly string[], cursor: number): string[] {
  const pos = (m: string) => (members.indexOf(m) - cursor - 1 + members.length) % members.length;
  return [...eligible].sort((a, b) => pos(a) - pos(b));
}

/**
 * After Bitbucket answered 400 to a reviewer list: which reviewer to drop before the one retry.
 * The message names the person (by uuid or display name) when Bitbucket says who; with a single
 * new reviewer it can only be that one. null: cannot tell, do not retry blindly.
 */
export function findRefusedReviewer(
  message: string,
  added: readonly { uuid: string; displayName?: string | undefined; nickname?: string | undefined }[],
): string | null {
  const text = message.toLowerCase();
  const named = added.filter(
    (a) => text.includes(a.uuid.toLowerCase()) || (a.displayName && text.includes(a.displayName.toLowerCase())) || (a.nickname && text.includes(a.nickname.toLowerCase())),
  );
  if (named.length === 1) return named[0]!.uuid;
  if (added.length === 1) return added[0]!.uuid;
  return null;
}
