/* proto_limits.h - sizes shared by the sample's programs (and by the loader that reads them). */
#ifndef SAMPLE_PROTO_LIMITS_H
#define SAMPLE_PROTO_LIMITS_H

#define PROTO_SLOTS 256 /* one counter per IP protocol number */

#endif
