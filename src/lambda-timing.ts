/**
 * Time kept back from each invocation's remaining time to answer after giving up on the model:
 * the answer (a 503, a failed batch) must be sent before Lambda kills the invocation.
 */
export const ANSWER_MARGIN_MS = 1_000;
/** Lambda gives init 10 s; the model load during init stops well inside it. */
export const INIT_LOAD_DEADLINE_MS = 8_000;
