import { NO_STORE } from "@/lib/edge/responses";
import { AuthError, authErrorResponse, requireUser } from "@/lib/session";

export const dynamic = "force-dynamic";

/** The verified user behind the request's access JWT (cookie or Bearer), or 401 JSON. */
export async function GET(): Promise<Response> {
  try {
    const user = await requireUser();
    return Response.json(
      {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        expiresAt: new Date(user.exp * 1000).toISOString(),
      },
      { headers: { "Cache-Control": NO_STORE } },
    );
  } catch (error) {
    if (error instanceof AuthError) return authErrorResponse(error);
    throw error;
  }
}
