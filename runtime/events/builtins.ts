/**
 * The schema-based built-in events. Their types and Iglu URIs are generated
 * by `igluc generate` from this project's schemas/ (see runtime/igluc.config.json);
 * a test fails when runtime/builtins/ is stale.
 */
import type { ChangeForm, SubmitForm } from "../builtins/index.js";

export {
  LINK_CLICK_SCHEMA, ADD_TO_CART_SCHEMA, REMOVE_FROM_CART_SCHEMA, CHANGE_FORM_SCHEMA, SUBMIT_FORM_SCHEMA,
  SITE_SEARCH_SCHEMA, SCREEN_VIEW_SCHEMA,
} from "../builtins/index.js";
export type {
  LinkClick, AddToCart, RemoveFromCart, ChangeForm, SubmitForm, SiteSearch, ScreenView,
} from "../builtins/index.js";

export type FormNodeName = ChangeForm["nodeName"];
export type FormInputType = NonNullable<ChangeForm["type"]>;
export type SubmitFormElement = NonNullable<SubmitForm["elements"]>[number];
