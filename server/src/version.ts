/** The ConnectDesk version, as /healthz and backups report it. */
export const VERSION = '0.1.0';
