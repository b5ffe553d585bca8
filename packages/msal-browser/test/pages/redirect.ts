// The redirect bridge page MSAL 5 needs: it hands the response to the opener (popup) or back to the app (redirect).
import { broadcastResponseToMainFrame } from '@azure/msal-browser/redirect-bridge';

broadcastResponseToMainFrame().catch((error: unknown) => {
  document.body.textContent = `bridge error: ${String(error)}`;
});
