/**
 * The schema-based built-in events. Their types and Iglu URIs are generated
 * by `igluc generate` from this project's schemas/ (see runtime/igluc.config.json);
 * a test fails when runtime/builtins/ is stale.
 */
import type { ChangeForm, MobileScreenView as GeneratedMobileScreenView, SubmitForm } from "../builtins/index.js";

export {
  LINK_CLICK_SCHEMA, ADD_TO_CART_SCHEMA, REMOVE_FROM_CART_SCHEMA, CHANGE_FORM_SCHEMA, SUBMIT_FORM_SCHEMA,
  SITE_SEARCH_SCHEMA, SNOWPLOW_SCREEN_VIEW_SCHEMA as SCREEN_VIEW_SCHEMA, MOBILE_SCREEN_VIEW_SCHEMA,
} from "../builtins/index.js";
export type {
  LinkClick, AddToCart, RemoveFromCart, ChangeForm, SubmitForm, SiteSearch, SnowplowScreenView as ScreenView,
} from "../builtins/index.js";

export type FormNodeName = ChangeForm["nodeName"];
export type FormInputType = NonNullable<ChangeForm["type"]>;
export type SubmitFormElement = NonNullable<SubmitForm["elements"]>[number];

/**
 * The data of `trackMobileScreenView` (the mobile `screen_view` 1-0-0 schema):
 * `id`, a UUID, is generated when absent, as the Python tracker does.
 */
export type MobileScreenView = Omit<GeneratedMobileScreenView, "id"> & { readonly id?: string | undefined };
