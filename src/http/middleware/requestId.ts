import { createMiddleware } from "hono/factory";

const SAFE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Takes the caller's X-Request-Id when it is a sane token, so a trace can start upstream. */
export const requestId = () =>
  createMiddleware<{ Variables: { requestId: string } }>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const id = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    await next();
  });
