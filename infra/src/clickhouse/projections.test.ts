import { describe, expect, it } from 'vitest';
import { loadMigrations } from './migrate.js';
import { PROJECTIONS, projectionSelect, repairProjectionsSql } from './projections.js';

describe('projections: the one definition of every materialized view', () => {
  it('defines every view the migrations create, each once, writing to the table the migration named', () => {
    const created = new Map<string, string>();
    for (const statement of loadMigrations({ database: 'db' }).flatMap((m) => m.statements)) {
      const match = /^CREATE MATERIALIZED VIEW IF NOT EXISTS db\.(\w+)\s+TO db\.(\w+)/.exec(statement);
      if (match) created.set(match[1]!, match[2]!);
    }
    expect(created.size).toBeGreaterThan(0);
    expect(new Map(PROJECTIONS.map((p) => [p.view, p.target]))).toEqual(created);
    expect(new Set(PROJECTIONS.map((p) => p.view)).size).toBe(PROJECTIONS.length);
  });

  it('narrows the repair SELECT to the given events and keeps the view SELECT whole', () => {
    for (const p of PROJECTIONS) expect(projectionSelect(p, 'db')).not.toContain('{keys:');
    for (const sql of repairProjectionsSql('db')) {
      expect(sql).toMatch(/^INSERT INTO db\.\w+ \(/);
      expect(sql).toContain('src.event_id IN {keys:Array(UUID)}');
    }
  });
});
