// The redirect bridge page MSAL 5 needs: it passes the sign-in response back to the app page.
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `Sign-in could not complete: ${String(error)}`;
});
