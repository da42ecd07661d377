/**
 * Runs once when the server starts. On Node it validates the configuration so
 * a production start with a missing or weak secret stops at once with one
 * actionable line, instead of failing on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigOrExit } = await import("./lib/config/startup");
    checkConfigOrExit();
  }
}
