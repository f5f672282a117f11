/**
 * Just enough of bitbucket-pipelines.yml to find a pipeline and its steps: the sections
 * `default`, `branches.<glob>` and `custom.<name>`, each a list of `- step:` with `name` and `script`.
 * Indentation-based; no anchors, parallel groups or stages.
 */
export interface PipelineDefinitionStep {
  name: string;
  script: string[];
}

export type PipelineSectionRef = { type: 'default' } | { type: 'branches' | 'custom'; pattern: string };

interface Line {
  indent: number;
  text: string;
}

function toLines(yml: string): Line[] {
  return yml
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
}

/** The lines nested under the key at `start` (exclusive). */
function childrenOf(lines: Line[], start: number): Line[] {
  const base = lines[start]!.indent;
  const out: Line[] = [];
  for (let i = start + 1; i < lines.length && lines[i]!.indent > base; i++) out.push(lines[i]!);
  return out;
}

function findKey(lines: Line[], key: string): Line[] | null {
  if (lines.length === 0) return null;
  const top = Math.min(...lines.map((l) => l.indent));
  const unquote = (k: string) => k.replace(/^['"]|['"]$/g, '');
  const i = lines.findIndex((l) => l.indent === top && l.text.endsWith(':') && unquote(l.text.slice(0, -1)) === key);
  return i < 0 ? null : childrenOf(lines, i);
}

/** Keys directly under a mapping (e.g. the branch globs under `branches`). */
export function listKeys(lines: Line[]): string[] {
  if (lines.length === 0) return [];
  const top = Math.min(...lines.map((l) => l.indent));
  return lines.filter((l) => l.indent === top && l.text.endsWith(':')).map((l) => l.text.slice(0, -1).replace(/^['"]|['"]$/g, ''));
}

function toSteps(section: Line[]): PipelineDefinitionStep[] {
  const steps: PipelineDefinitionStep[] = [];
  let inScript = false;
  let scriptIndent = 0;
  for (const line of section) {
    if (/^-\s*step:/.test(line.text)) {
      steps.push({ name: `Step ${steps.length + 1}`, script: [] });
      inScript = false;
      continue;
    }
    const step = steps[steps.length - 1];
    if (!step) continue;
    const name = /^name:\s*(.+)$/.exec(line.text);
    if (name) {
      step.name = name[1]!.replace(/^['"]|['"]$/g, '');
      inScript = false;
    } else if (line.text === 'script:') {
      inScript = true;
      scriptIndent = line.indent;
    } else if (inScript && line.indent >= scriptIndent && line.text.startsWith('- ')) {
      step.script.push(line.text.slice(2));
    } else inScript = false;
  }
  return steps;
}

export interface PipelinesYml {
  pipelines: Line[];
}

export function parsePipelinesYml(yml: string): PipelinesYml | null {
  const pipelines = findKey(toLines(yml), 'pipelines');
  return pipelines ? { pipelines } : null;
}

/** Steps of one section, or null when the section does not exist. */
export function findPipelineSteps(doc: PipelinesYml, ref: PipelineSectionRef): PipelineDefinitionStep[] | null {
  if (ref.type === 'default') {
    const section = findKey(doc.pipelines, 'default');
    return section ? toSteps(section) : null;
  }
  const group = findKey(doc.pipelines, ref.type);
  const section = group ? findKey(group, ref.pattern) : null;
  return section ? toSteps(section) : null;
}

export function listBranchPatterns(doc: PipelinesYml): string[] {
  const group = findKey(doc.pipelines, 'branches');
  return group ? listKeys(group) : [];
}
