-- Shared by every instance: signs session cookies (see src/http/middleware/session.ts), so a sid
-- issued by one instance is honoured by all and a sid none of them issued is refused.
INSERT INTO settings (key, value)
VALUES ('session_secret', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))
ON CONFLICT (key) DO NOTHING;
