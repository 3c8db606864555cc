import * as $protobuf from "protobufjs";
import Long = require("long");
/** Namespace spoor. */
export namespace spoor {

    /** Namespace v1. */
    namespace v1 {

        /** Properties of a RawEvent. */
        interface IRawEvent {

            /** RawEvent eventId */
            eventId?: (string|null);

            /** RawEvent type */
            type?: (string|null);

            /** RawEvent anonymousId */
            anonymousId?: (string|null);

            /** RawEvent siteId */
            siteId?: (string|null);

            /** RawEvent eventJson */
            eventJson?: (string|null);

            /** RawEvent deviceTs */
            deviceTs?: (number|null);

            /** RawEvent sentAt */
            sentAt?: (number|null);

            /** RawEvent receivedAt */
            receivedAt?: (number|null);

            /** RawEvent clientIp */
            clientIp?: (string|null);

            /** RawEvent userAgent */
            userAgent?: (string|null);

            /** RawEvent collectorId */
            collectorId?: (string|null);

            /** RawEvent origin */
            origin?: (spoor.v1.RawEvent.Origin|null);
        }

        /** Represents a RawEvent. */
        class RawEvent implements IRawEvent {

            /**
             * Constructs a new RawEvent.
             * @param [properties] Properties to set
             */
            constructor(properties?: spoor.v1.IRawEvent);

            /** RawEvent eventId. */
            public eventId: string;

            /** RawEvent type. */
            public type: string;

            /** RawEvent anonymousId. */
            public anonymousId: string;

            /** RawEvent siteId. */
            public siteId: string;

            /** RawEvent eventJson. */
            public eventJson: string;

            /** RawEvent deviceTs. */
            public deviceTs: number;

            /** RawEvent sentAt. */
            public sentAt: number;

            /** RawEvent receivedAt. */
            public receivedAt: number;

            /** RawEvent clientIp. */
            public clientIp: string;

            /** RawEvent userAgent. */
            public userAgent: string;

            /** RawEvent collectorId. */
            public collectorId: string;

            /** RawEvent origin. */
            public origin: spoor.v1.RawEvent.Origin;

            /**
             * Creates a new RawEvent instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RawEvent instance
             */
            public static create(properties?: spoor.v1.IRawEvent): spoor.v1.RawEvent;

            /**
             * Encodes the specified RawEvent message. Does not implicitly {@link spoor.v1.RawEvent.verify|verify} messages.
             * @param message RawEvent message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: spoor.v1.IRawEvent, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RawEvent message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RawEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): spoor.v1.RawEvent;

            /**
             * Creates a RawEvent message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns RawEvent
             */
            public static fromObject(object: { [k: string]: any }): spoor.v1.RawEvent;

            /**
             * Creates a plain object from a RawEvent message. Also converts values to other types if specified.
             * @param message RawEvent
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: spoor.v1.RawEvent, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RawEvent to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RawEvent
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        namespace RawEvent {

            /** Origin enum. */
            enum Origin {
                ORIGIN_UNSPECIFIED = 0,
                BROWSER = 1,
                EMAIL_PIXEL = 2,
                EMAIL_CLICK = 3,
                SERVER = 4
            }
        }

        /** Properties of a RawEventBatch. */
        interface IRawEventBatch {

            /** RawEventBatch events */
            events?: (spoor.v1.IRawEvent[]|null);
        }

        /** Represents a RawEventBatch. */
        class RawEventBatch implements IRawEventBatch {

            /**
             * Constructs a new RawEventBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: spoor.v1.IRawEventBatch);

            /** RawEventBatch events. */
            public events: spoor.v1.IRawEvent[];

            /**
             * Creates a new RawEventBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RawEventBatch instance
             */
            public static create(properties?: spoor.v1.IRawEventBatch): spoor.v1.RawEventBatch;

            /**
             * Encodes the specified RawEventBatch message. Does not implicitly {@link spoor.v1.RawEventBatch.verify|verify} messages.
             * @param message RawEventBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: spoor.v1.IRawEventBatch, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RawEventBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns RawEventBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): spoor.v1.RawEventBatch;

            /**
             * Creates a RawEventBatch message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns RawEventBatch
             */
            public static fromObject(object: { [k: string]: any }): spoor.v1.RawEventBatch;

            /**
             * Creates a plain object from a RawEventBatch message. Also converts values to other types if specified.
             * @param message RawEventBatch
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: spoor.v1.RawEventBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RawEventBatch to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for RawEventBatch
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }

        /** Properties of a DeadLetter. */
        interface IDeadLetter {

            /** DeadLetter original */
            original?: (Uint8Array|null);

            /** DeadLetter reason */
            reason?: (string|null);

            /** DeadLetter stage */
            stage?: (string|null);

            /** DeadLetter failedAt */
            failedAt?: (number|null);

            /** DeadLetter siteId */
            siteId?: (string|null);

            /** DeadLetter source */
            source?: (string|null);
        }

        /** Represents a DeadLetter. */
        class DeadLetter implements IDeadLetter {

            /**
             * Constructs a new DeadLetter.
             * @param [properties] Properties to set
             */
            constructor(properties?: spoor.v1.IDeadLetter);

            /** DeadLetter original. */
            public original: Uint8Array;

            /** DeadLetter reason. */
            public reason: string;

            /** DeadLetter stage. */
            public stage: string;

            /** DeadLetter failedAt. */
            public failedAt: number;

            /** DeadLetter siteId. */
            public siteId: string;

            /** DeadLetter source. */
            public source: string;

            /**
             * Creates a new DeadLetter instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeadLetter instance
             */
            public static create(properties?: spoor.v1.IDeadLetter): spoor.v1.DeadLetter;

            /**
             * Encodes the specified DeadLetter message. Does not implicitly {@link spoor.v1.DeadLetter.verify|verify} messages.
             * @param message DeadLetter message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            public static encode(message: spoor.v1.IDeadLetter, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeadLetter message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns DeadLetter
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): spoor.v1.DeadLetter;

            /**
             * Creates a DeadLetter message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns DeadLetter
             */
            public static fromObject(object: { [k: string]: any }): spoor.v1.DeadLetter;

            /**
             * Creates a plain object from a DeadLetter message. Also converts values to other types if specified.
             * @param message DeadLetter
             * @param [options] Conversion options
             * @returns Plain object
             */
            public static toObject(message: spoor.v1.DeadLetter, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeadLetter to JSON.
             * @returns JSON object
             */
            public toJSON(): { [k: string]: any };

            /**
             * Gets the default type url for DeadLetter
             * @param [typeUrlPrefix] your custom typeUrlPrefix(default "type.googleapis.com")
             * @returns The default type url
             */
            public static getTypeUrl(typeUrlPrefix?: string): string;
        }
    }
}
