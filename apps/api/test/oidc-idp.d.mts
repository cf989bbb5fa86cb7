export interface TestIdp {
  issuer: string;
  signingJwk: Record<string, unknown>;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, { email: string; email_verified: boolean }>;
  nextAccount: string | null;
  tamperNonce: boolean;
  codeTtl: number;
  logouts: Array<{ accountId: string; ok: boolean; err?: string }>;
  provider: any;
  registerClient(appUrl: string): Promise<void>;
  addAccount(sub: string, email: string, emailVerified?: boolean): void;
  removeAccount(sub: string): Promise<void>;
  logoutSession(sub: string, sid: string): Promise<void>;
  close(): Promise<void>;
}
export function startIdp(): Promise<TestIdp>;
