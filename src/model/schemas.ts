import { z } from 'zod';

/** An analyzer's settings as they arrive from outside (a model file, a scikit-learn export). */
export const analyzerSchema = z.object({
  lowercase: z.boolean(),
  stripAccents: z.enum(['none', 'ascii', 'unicode']),
  stopWords: z.enum(['none', 'english']),
  ngramRange: z.tuple([z.number().int().min(1).max(16), z.number().int().min(1).max(16)]),
  stripHtml: z.boolean(),
  tokenPattern: z.enum(['default', 'single-character']).optional(),
});

/** How counts become features, as it arrives from outside. */
export const weightingSchema = z.object({
  binary: z.boolean(),
  useIdf: z.boolean(),
  smoothIdf: z.boolean(),
  sublinearTf: z.boolean(),
  norm: z.enum(['l2', 'l1', 'none']),
});
