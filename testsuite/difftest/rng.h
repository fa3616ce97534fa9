/*
 * rng.h - the differential generator's own pseudo-random numbers: xoshiro256** seeded
 * through splitmix64 (Blackman and Vigna), so that a (seed, index) pair names one program
 * on every machine and libc.  Pure value code, no allocation, never rand().
 */
#ifndef BPFCC_DIFFTEST_RNG_H
#define BPFCC_DIFFTEST_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct dt_rng {
	uint64_t s[4];
};

/* One step of splitmix64 on *x: the seeding sequence. */
static inline uint64_t dt_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The generator state for program `index` of the run seeded with `seed`. */
static inline void dt_rng_seed(struct dt_rng *r, uint64_t seed, uint64_t index)
{
	uint64_t x = seed ^ (index * 0xd1b54a32d192ed03ull);

	for (int i = 0; i < 4; i++)
		r->s[i] = dt_splitmix64(&x);
}

static inline uint64_t dt_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits (xoshiro256**). */
static inline uint64_t dt_next(struct dt_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = dt_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = dt_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) for n >= 1 (Lemire's multiply-shift; the bias is below 2^-32). */
static inline uint32_t dt_below(struct dt_rng *r, uint32_t n)
{
	return (uint32_t)(((dt_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi] (lo <= hi, hi - lo < 2^32 - 1). */
static inline int32_t dt_range(struct dt_rng *r, int32_t lo, int32_t hi)
{
	return (int32_t)((uint32_t)lo + dt_below(r, (uint32_t)hi - (uint32_t)lo + 1));
}

/* True with probability pct/100. */
static inline bool dt_chance(struct dt_rng *r, unsigned pct)
{
	return dt_below(r, 100) < pct;
}

#endif
