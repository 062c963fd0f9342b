import { describe, expect, it } from 'vitest';
import { checkBudget, initialFiles, type BudgetBundle } from './bundle-budget';

const chunk = (fileName: string, imports: string[], code: string, isEntry = false) =>
  ({ type: 'chunk', fileName, imports, code, isEntry }) as const;

// Pseudo-random hex barely compresses, so its gzip size stays close to its length.
function incompressible(length: number): string {
  let seed = length;
  let text = '';
  while (text.length < length) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    text += (seed >>> 8).toString(16).slice(-4);
  }
  return text.slice(0, length);
}

describe('bundle budget', () => {
  it('when the entry imports chunks statically, then they count and lazily loaded ones do not', () => {
    const bundle: BudgetBundle = {
      'index.js': chunk('index.js', ['vendor.js'], 'import "./vendor.js"; import("./admin.js");', true),
      'vendor.js': chunk('vendor.js', ['shared.js'], 'export const react = 1;'),
      'shared.js': chunk('shared.js', [], 'export const shared = 1;'),
      'admin.js': chunk('admin.js', ['vendor.js'], 'export const admin = 1;'),
      'index.css': { type: 'asset' },
    };

    const files = initialFiles(bundle).map((file) => file.fileName);

    expect(files.sort()).toEqual(['index.js', 'shared.js', 'vendor.js']);
  });

  it('when the first page stays within the budget, then the report names each file and the total', () => {
    const files = initialFiles({ 'index.js': chunk('index.js', [], incompressible(4_000), true) });

    const result = checkBudget(files, 10_000);

    expect(result.over).toBe(false);
    expect(result.report).toMatch(
      /^Initial JS \(index\.html's entry and its static imports\): \d+\.\d kB gzip of a 10\.0 kB budget\./,
    );
    expect(result.report).toContain('index.js');
  });

  it('when the first page grows past the budget, then the check fails saying by how much and what to do', () => {
    const bundle: BudgetBundle = {
      'index.js': chunk('index.js', ['vendor.js'], incompressible(6_000), true),
      'vendor.js': chunk('vendor.js', [], incompressible(6_000)),
    };

    const result = checkBudget(initialFiles(bundle), 5_000);

    expect(result.over).toBe(true);
    expect(result.total).toBeGreaterThan(5_000);
    expect(result.report).toMatch(/\d+\.\d kB over the budget\. The first page loads too much JavaScript\./);
    expect(result.report).toContain('dynamic import()');
  });
});
