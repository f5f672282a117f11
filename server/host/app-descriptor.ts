/** What web/ needs to know of the app as the host was told about it (descriptor or manifest). */
export interface AppDescriptor {
  baseUrl: string;
  /** Where the host reads the app's descriptor or manifest. */
  descriptorUrl: string;
  scopes: string[];
  /** The event keys the host delivers. */
  webhookEvents: string[];
  /** The paths the host posts webhooks to. */
  webhookPaths: string[];
}
