/**
 * A form's answer: errors are announced at once (`role="alert"`), successes
 * politely (`role="status"`). Both regions are always in the page, so screen
 * readers already watch them when the text arrives.
 */
export function FormMessage({ state }: { state: { status: string; message: string } }) {
  const error = state.status === "error" && state.message !== "";
  const ok = state.status !== "error" && state.status !== "idle" && state.message !== "";
  return (
    <>
      <div role="alert" className="live">
        {error && <p className="error">{state.message}</p>}
      </div>
      <div role="status" className="live">
        {ok && <p className="ok">{state.message}</p>}
      </div>
    </>
  );
}
