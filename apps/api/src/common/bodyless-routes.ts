import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { validationError } from './errors';
import { FieldProblems } from './field-problems';

/**
 * The ValidationPipe refuses unknown fields only where a route declares a body. A route without
 * one (logout, retire, read, revoke) would ignore `{"toString": 1}` silently; this refuses any
 * field sent to it, by name, so "unknown field → 400" holds on every route.
 */
@Injectable()
export class BodylessRouteInterceptor implements NestInterceptor {
  private readonly takesBody = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.declaresBody(context)) {
      const body = context.switchToHttp().getRequest<FastifyRequest>().body;
      if (typeof body === 'object' && body !== null) {
        const problems = new FieldProblems();
        for (const key of Object.keys(body))
          problems.add(key, `${key} is not a field this endpoint accepts: it takes no body; remove it.`);
        if (problems.any) throw validationError(problems.toRecord());
      }
    }
    return next.handle();
  }

  private declaresBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesBody.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as object;
      known = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.BODY}:`));
      this.takesBody.set(handler, known);
    }
    return known;
  }
}
