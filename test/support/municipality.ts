import type { Config } from '../../src/config';
import type { Municipality } from '../../src/domain/municipality';

/** The id of the n-th synthetic unit, and of its leader. */
export const syntheticUnitId = (n: number) => `enhet-${String(n).padStart(4, '0')}`;
export const syntheticLeader = (n: number) => ({ id: `aad-leder-${String(n).padStart(4, '0')}`, name: `Leder ${n}` });

/**
 * The configured municipality with `units` units instead of its own: the first ones as
 * configured, then synthetic kindergartens, each with a leader of its own. For tests and
 * benchmarks of what must not grow with the size of the municipality.
 */
function withUnits(municipality: Municipality, units: number): Municipality {
  const own = municipality.units.slice(0, units);
  const extra = Array.from({ length: Math.max(0, units - own.length) }, (_, i) => ({
    id: syntheticUnitId(i),
    name: `Enhet ${i}`,
    kind: 'kindergarten' as const,
    staff: [],
    leaders: [syntheticLeader(i)],
  }));
  return { ...municipality, units: [...own, ...extra] };
}

/** For startTestLaget's `configure`. */
export const configureUnits =
  (units: number) =>
  (config: Config): Config => ({ ...config, municipality: withUnits(config.municipality, units) });
