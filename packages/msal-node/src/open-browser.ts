import { spawn } from 'node:child_process';

/** Opens a URL in the user's default browser, the way `xdg-open`, `open` and `start` do. */
export async function openSystemBrowser(url: string): Promise<void> {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]]
    : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
    : ['xdg-open', [url]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', (error) => reject(new Error(`[@graphwire/msal-node] cannot start ${command} to open the sign-in page: pass the option \`openBrowser\``, { cause: error })));
    child.once('spawn', () => { child.unref(); resolve(); });
  });
}
