/** Simulated people of the benchmark: distinct, so that every simulated user has their own chat and data. */
export const benchUser = (role: 'owner' | 'leader' | 'user', n: number) => ({ id: `aad-bench-${role}-${n}`, name: `Bench ${role} ${n}` });
