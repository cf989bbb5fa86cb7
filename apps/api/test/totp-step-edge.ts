const STEP_MS = 30_000;

/**
 * Waits out the last seconds of the current 30 s TOTP step. A test computes codes relative to
 * "now" (a step back, a step ahead) and the server judges them a moment later: across a step
 * edge a previous-step code arrives two steps old and is refused. Run before each test that
 * sends codes, so its codes and the server's clock share a step.
 */
export async function awayFromTotpStepEdge(marginMs = 4_000): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
