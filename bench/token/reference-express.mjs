// Reference (a): what a team following Intercom's docs would write — Express + jsonwebtoken
// with the secret as a hard-coded string. No auth, no tenants, no validation, no counting.
import express from 'express';
import jwt from 'jsonwebtoken';

const SECRET = 'hard-coded-messenger-secret-for-the-benchmark';
const app = express();
app.use(express.json());
app.post('/v1/intercom/token', (req, res) => {
  const token = jwt.sign({ user_id: req.body.user_id, email: req.body.email }, SECRET, {
    algorithm: 'HS256',
    expiresIn: 3600,
  });
  res.json({ token, app_id: 'bench1' });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
