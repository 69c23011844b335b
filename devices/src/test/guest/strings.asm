; Test guest: string instructions (both directions, both address sizes, REP/REPE/REPNE, segment
; overrides) and far transfers (direct and indirect far CALL/JMP, RETF imm16, a 16-bit code
; segment, LFS). Prints register values and checksums on port 0xE9: the test compares them with
; what QEMU prints for the same binary. Flat multiboot image; build: nasm -f bin strings.asm

        bits 32
        org 0x100000

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00010000
BUF_PHYS        equ 0x200000                ; base of the data segment at selector 0x20

start:  jmp     entry
        align 4
header: dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd      header, start, image_end, bss_end, entry

%include "lib.inc"

; flags_line: prints the arithmetic flags of the last operation (OF SF ZF AF PF CF).
flags_line:
        pushfd
        push    eax
        mov     eax, [esp + 4]
        and     eax, 0x8D5
        PRINTHEX s_flags, eax
        pop     eax
        popfd
        ret

; checksum: EAX = a position-weighted sum of ECX bytes at ESI (keeps other registers).
checksum:
        push    ebx
        push    ecx
        push    edx
        push    esi
        xor     eax, eax
        xor     edx, edx
.loop:  test    ecx, ecx
        jz      .done
        movzx   ebx, byte [esi]
        inc     edx
        imul    ebx, edx
        add     eax, ebx
        rol     eax, 3
        inc     esi
        dec     ecx
        jmp     .loop
.done:  pop     esi
        pop     edx
        pop     ecx
        pop     ebx
        ret

entry:
        mov     esp, stack_top
        lgdt    [gdt_pointer]
        jmp     0x08:.flat
.flat:  mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     ss, ax
        mov     fs, ax
        mov     gs, ax
        cld

        ; source pattern: src[i] = i * 37 + 11
        mov     edi, src
        xor     ecx, ecx
.fill:  mov     eax, ecx
        imul    eax, 37
        add     eax, 11
        stosb
        inc     ecx
        cmp     ecx, 256
        jb      .fill

        ; 1. REP MOVSB forward, odd length
        PRINT   s_t1
        mov     esi, src + 3
        mov     edi, dst + 5
        mov     ecx, 37
        rep movsb
        PRINTHEX s_esi, esi
        PRINTHEX s_edi, edi
        PRINTHEX s_ecx, ecx
        mov     esi, dst
        mov     ecx, 64
        call    checksum
        PRINTHEX s_sum, eax
        NEWLINE

        ; 2. REP MOVSD backward
        PRINT   s_t2
        std
        mov     esi, src + 60
        mov     edi, dst + 124
        mov     ecx, 16
        rep movsd
        cld
        PRINTHEX s_esi, esi
        PRINTHEX s_edi, edi
        mov     esi, dst
        mov     ecx, 128
        call    checksum
        PRINTHEX s_sum, eax
        NEWLINE

        ; 3. REP STOSW with a zero count changes nothing
        PRINT   s_t3
        mov     edi, dst
        xor     ecx, ecx
        mov     ax, 0xBEEF
        rep stosw
        PRINTHEX s_edi, edi
        mov     esi, dst
        mov     ecx, 128
        call    checksum
        PRINTHEX s_sum, eax
        NEWLINE

        ; 4. REPE CMPSB stops at the first difference
        PRINT   s_t4
        mov     esi, src
        mov     edi, cmpbuf
        mov     ecx, 64
        rep movsb
        mov     byte [cmpbuf + 13], 0
        mov     esi, src
        mov     edi, cmpbuf
        mov     ecx, 40
        repe cmpsb
        call    flags_line
        PRINTHEX s_esi, esi
        PRINTHEX s_ecx, ecx
        NEWLINE

        ; 5. REPNE SCASB finds a byte, then fails to find one
        PRINT   s_t5
        mov     edi, src
        mov     ecx, 200
        mov     al, (11 + 37 * 20) & 0xFF
        repne scasb
        call    flags_line
        PRINTHEX s_edi, edi
        PRINTHEX s_ecx, ecx
        mov     edi, src
        mov     ecx, 7
        mov     al, 0x01
        repne scasb
        call    flags_line
        PRINTHEX s_ecx, ecx
        NEWLINE

        ; 6. LODSD backward, summing
        PRINT   s_t6
        std
        mov     esi, src + 252
        mov     ecx, 20
        xor     edx, edx
.lods:  lodsd
        add     edx, eax
        dec     ecx
        jnz     .lods
        cld
        PRINTHEX s_esi, esi
        PRINTHEX s_sum, edx
        NEWLINE

        ; 7. 16-bit addressing: only SI, DI and CX move; the high halves stay
        PRINT   s_t7
        mov     ax, 0x20
        mov     es, ax
        push    ds
        mov     ds, ax
        mov     esi, 0xABCD0010
        mov     edi, 0x12340100
        mov     ecx, 0x77770005
        mov     dword [0x10], 0x04030201
        mov     byte [0x14], 0x05
        a16 rep movsb
        mov     ebx, [es:0x100]
        pop     ds
        PRINTHEX s_esi, esi
        PRINTHEX s_edi, edi
        PRINTHEX s_ecx, ecx
        PRINTHEX s_val, ebx
        NEWLINE

        ; 8. segment override on the source: FS:ESI -> ES:EDI
        PRINT   s_t8
        mov     ax, 0x20
        mov     fs, ax
        mov     ax, 0x10
        mov     es, ax
        mov     edi, dst
        mov     esi, 0x100
        mov     ecx, 3
        rep fs movsw
        mov     eax, [dst]
        PRINTHEX s_val, eax
        movzx   eax, word [dst + 4]
        PRINTHEX s_val, eax
        NEWLINE

        ; 9. overlapping forward copy replicates the first byte
        PRINT   s_t9
        mov     byte [dst], 0x5A
        mov     esi, dst
        mov     edi, dst + 1
        mov     ecx, 31
        rep movsb
        mov     esi, dst
        mov     ecx, 40
        call    checksum
        PRINTHEX s_sum, eax
        NEWLINE

        ; 10. single CMPSW and SCASD set the flags of a subtraction
        PRINT   s_t10
        mov     word [dst], 0x8000
        mov     word [dst + 2], 0x0001
        mov     esi, dst
        mov     edi, dst + 2
        cmpsw
        call    flags_line
        mov     dword [dst], 0x7FFFFFFF
        mov     edi, dst
        mov     eax, 0xFFFFFFFF
        scasd
        call    flags_line
        NEWLINE

        ; 11. far calls: direct, indirect through memory with RETF imm16, into 16-bit code
        PRINT   s_t11
        mov     ebp, esp
        call    0x08:far_direct
        PRINTHEX s_val, eax
        push    dword 0x11111111
        push    dword 0x22222222
        call    far [far_pointer]
        PRINTHEX s_val, eax
        sub     ebp, esp
        PRINTHEX s_esp, ebp
        call    0x18:(code16 - start)
        PRINTHEX s_val, eax
        mov     eax, cs
        PRINTHEX s_val, eax
        NEWLINE

        ; 12. far jump through memory, and LFS
        PRINT   s_t12
        jmp     far [jump_pointer]
.back:  lfs     ebx, [lfs_pointer]
        mov     eax, [fs:ebx]
        PRINTHEX s_val, eax
        mov     eax, fs
        PRINTHEX s_val, eax
        NEWLINE

        PRINT   s_done
        EXIT    0

far_direct:
        mov     eax, [esp + 4]              ; the caller's CS, pushed as a doubleword
        retf

far_indirect:
        mov     eax, [esp + 8]              ; the last argument pushed
        add     eax, [esp + 12]
        retf    8

jumped:
        mov     eax, 0x600D
        PRINTHEX s_val, eax
        jmp     0x08:entry.back

        bits 16
code16:                                     ; runs in the 16-bit segment at selector 0x18
        mov     ax, 0x1234
        add     ax, 0xF00F
        mov     cx, ax
        shl     eax, 16
        mov     ax, cx
        o32 retf
        bits 32

        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF          ; 0x08 code, flat, 32-bit
        dq      0x00CF92000000FFFF          ; 0x10 data, flat
        dq      0x00009A100000FFFF          ; 0x18 code, base 0x100000, 64 KiB, 16-bit
        dq      0x00409220_0000FFFF         ; 0x20 data, base 0x200000, 64 KiB
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
far_pointer:
        dd      far_indirect
        dw      0x08
jump_pointer:
        dd      jumped
        dw      0x08
lfs_pointer:
        dd      0x100
        dw      0x20

s_t1:   db "movsb: ", 0
s_t2:   db "movsd down: ", 0
s_t3:   db "stosw x0: ", 0
s_t4:   db "repe cmpsb: ", 0
s_t5:   db "repne scasb: ", 0
s_t6:   db "lodsd down: ", 0
s_t7:   db "a16 movsb: ", 0
s_t8:   db "fs movsw: ", 0
s_t9:   db "overlap: ", 0
s_t10:  db "cmpsw scasd: ", 0
s_t11:  db "far calls: ", 0
s_t12:  db "far jmp lfs: ", 0
s_esi:  db "esi=", 0
s_edi:  db "edi=", 0
s_ecx:  db "ecx=", 0
s_esp:  db "esp=", 0
s_sum:  db "sum=", 0
s_val:  db "v=", 0
s_flags: db "fl=", 0
s_done: db "done", 10, 0

        align 4
image_end:

        absolute image_end
        alignb  16
src:    resb    256
dst:    resb    256
cmpbuf: resb    256
        alignb  16
        resb    8192
stack_top:
bss_end:
