/**
 * The schema-based built-in events: their Iglu URIs (exactly those the
 * official trackers send) and their data types, which follow the schemas in
 * this project's schemas/ folder field for field.
 */

export const LINK_CLICK_SCHEMA = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1";
export const ADD_TO_CART_SCHEMA = "iglu:com.snowplowanalytics.snowplow/add_to_cart/jsonschema/1-0-0";
export const REMOVE_FROM_CART_SCHEMA = "iglu:com.snowplowanalytics.snowplow/remove_from_cart/jsonschema/1-0-0";
export const CHANGE_FORM_SCHEMA = "iglu:com.snowplowanalytics.snowplow/change_form/jsonschema/1-0-0";
export const SUBMIT_FORM_SCHEMA = "iglu:com.snowplowanalytics.snowplow/submit_form/jsonschema/1-0-0";
export const SITE_SEARCH_SCHEMA = "iglu:com.snowplowanalytics.snowplow/site_search/jsonschema/1-0-0";
export const SCREEN_VIEW_SCHEMA = "iglu:com.snowplowanalytics.snowplow/screen_view/jsonschema/1-0-0";

/** A user followed a link. */
export interface LinkClick {
  /** The id attribute of the link element. */
  readonly elementId?: string | undefined;
  /** The class names on the link element. */
  readonly elementClasses?: readonly string[] | undefined;
  /** The target attribute of the link element. */
  readonly elementTarget?: string | undefined;
  /** Where the link leads (at least one character). */
  readonly targetUrl: string;
  /** The text inside the link element. */
  readonly elementContent?: string | undefined;
}

/** A quantity of a product was put into (or taken out of) the shopping cart. */
export interface AddToCart {
  readonly sku: string;
  readonly name?: string | undefined;
  readonly category?: string | undefined;
  readonly unitPrice?: number | undefined;
  readonly quantity: number;
  readonly currency?: string | undefined;
}
export type RemoveFromCart = AddToCart;

export type FormNodeName = "INPUT" | "TEXTAREA" | "SELECT";
export type FormInputType =
  | "button" | "checkbox" | "color" | "date" | "datetime" | "datetime-local" | "email" | "file" | "hidden"
  | "image" | "month" | "number" | "password" | "radio" | "range" | "reset" | "search" | "submit" | "tel"
  | "text" | "time" | "url" | "week";

/** The value of a form field changed. */
export interface ChangeForm {
  /** id of the form holding the field. */
  readonly formId: string;
  /** id of the field whose value changed. */
  readonly elementId: string;
  /** HTML element name of the field. */
  readonly nodeName: FormNodeName;
  /**
   * HTML input type of the field. The schema's type allows null but its enum
   * does not, so null would fail validation and is not accepted here.
   */
  readonly type?: FormInputType | undefined;
  /** Class names on the field. */
  readonly elementClasses?: readonly string[] | undefined;
  /** The field's new value. */
  readonly value: string | null;
}

/** One field of a submitted form. */
export interface SubmitFormElement {
  readonly name: string;
  readonly value: string | null;
  readonly nodeName: FormNodeName;
  readonly type?: FormInputType | undefined;
}

/** A form was submitted. */
export interface SubmitForm {
  readonly formId: string;
  readonly formClasses?: readonly string[] | undefined;
  readonly elements?: readonly SubmitFormElement[] | undefined;
}

/** A search was run on the site's own search. */
export interface SiteSearch {
  /** At least one search term. */
  readonly terms: readonly [string, ...string[]];
  readonly filters?: Readonly<Record<string, string | boolean>> | undefined;
  /** Whole number, 0 to 2147483647. */
  readonly totalResults?: number | undefined;
  /** Whole number, 0 to 2147483647. */
  readonly pageResults?: number | undefined;
}

/** A screen of an app was shown; at least one of name and id is required. */
export type ScreenView =
  | { readonly name: string; readonly id?: string | undefined }
  | { readonly name?: string | undefined; readonly id: string };
