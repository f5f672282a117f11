import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_SPECS } from '../../../server/agent/planner/parse-command';

const SERVER = path.resolve(__dirname, '../../../server');
const COMMAND_FILES = ['agent/planner/parse-command.ts', 'agent/planner/command-planner.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Issue 9: "a new PR comment command takes two files". A command over an existing tool is its entry in
 * parse-command.ts (type, usage, parse) and its plan in command-planner.ts; nothing else in server/ may
 * know commands by name, so nothing else needs an edit. `help` is answered by the comment handler without a plan.
 */
describe('where comment commands are known by name', () => {
  const others = sourceFiles(SERVER).filter((f) => !COMMAND_FILES.includes(path.relative(SERVER, f)));

  it('only parse-command.ts and command-planner.ts branch on a command name', () => {
    const names = COMMAND_SPECS.map((s) => s.name).filter((n) => n !== 'help');
    expect(names.length).toBeGreaterThan(5);
    const offenders = others.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      // A `case 'dequeue':` is also a queue event's name: a switch counts only where parsed commands are at hand.
      const handlesCommands = /\b(parseCommand|ParsedCommand|BosunCommandName|planCommand)\b/.test(text);
      return names
        .filter((n) => new RegExp(`(\\.name|command)\\s*===\\s*'${n}'`).test(text) || (handlesCommands && new RegExp(`case\\s+'${n}'\\s*:`).test(text)))
        .map((n) => `${path.relative(SERVER, file)}: ${n}`);
    });
    expect(offenders).toEqual([]);
  });

  it('the command type is imported only by the two command files (and re-exported by agent/index.ts)', () => {
    const importers = others
      .filter((f) => /import[^;]*\bBosunCommand\b[^;]*from/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SERVER, f));
    expect(importers).toEqual([]);
  });
});
