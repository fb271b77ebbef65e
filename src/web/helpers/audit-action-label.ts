const LABELS: Record<string, string> = {
  view: 'consultation',
  create: 'création',
  update: 'modification',
  delete: 'suppression',
  export: 'export',
  login: 'connexion',
  login_failed: 'échec de connexion',
  logout: 'déconnexion',
};

export function auditActionLabel(action: unknown): string {
  return typeof action === 'string' ? (LABELS[action] ?? action) : '';
}
